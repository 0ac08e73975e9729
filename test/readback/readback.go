// readback reads what Harbor's prepare wrote the way Harbor's Go components read it, with the same Go libraries
// (Debian's packages of them): gopkg.in/yaml.v2 into the types distribution and Harbor's jobservice declare, net/url
// for connection URLs, pgconn for the keyword/value DSN Harbor 2.x core builds (pgx), lib/pq for the one Harbor 1.5
// builds for Clair's database, go-sql-driver/mysql for 1.5's MySQL DSN, godotenv for env files the way docker compose
// v2 reads them (compose-go's dotenv is a fork of it). Test code: it answers questions about files,
// one JSON request per line on stdin, one JSON answer per line on stdout.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgconn"
	"github.com/lib/pq"
	"github.com/joho/godotenv"
	"gopkg.in/yaml.v2"
)

type request struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

type answer struct {
	Values map[string]*string `json:"values,omitempty"`
	Error  string             `json:"error,omitempty"`
}

// registryConfig: the fields of distribution's configuration.Configuration the tests compare (configuration.go:
// Redis.Password and Addr are strings, storage parameters are map[string]interface{}, auth parameters likewise).
type registryConfig struct {
	Storage map[string]map[string]interface{} `yaml:"storage"`
	Auth    map[string]map[string]interface{} `yaml:"auth"`
	Redis   struct {
		Addr     string `yaml:"addr"`
		Password string `yaml:"password"`
		Username string `yaml:"username"`
		DB       int    `yaml:"db"`
	} `yaml:"redis"`
	HTTP struct {
		Secret string `yaml:"secret"`
	} `yaml:"http"`
}

// jobserviceConfig: Harbor's jobservice config.yml (src/jobservice/config/config.go: redis_url is a string).
type jobserviceConfig struct {
	PoolConfig struct {
		RedisPoolCfg struct {
			RedisURL string `yaml:"redis_url"`
		} `yaml:"redis_pool"`
	} `yaml:"worker_pool"`
}

func str(s string) *string { return &s }

func handle(r request) answer {
	switch r.Kind {
	case "registry-config":
		var c registryConfig
		if err := yaml.Unmarshal([]byte(r.Text), &c); err != nil {
			return answer{Error: err.Error()}
		}
		v := map[string]*string{"redis.addr": str(c.Redis.Addr), "redis.password": str(c.Redis.Password), "redis.username": str(c.Redis.Username), "http.secret": str(c.HTTP.Secret)}
		// the storage drivers take their parameters with fmt.Sprint (registry/storage/driver/oss/oss.go FromParameters)
		for driver, params := range c.Storage {
			for k, p := range params {
				if p != nil {
					v["storage."+driver+"."+k] = str(fmt.Sprint(p))
				} else {
					v["storage."+driver+"."+k] = nil
				}
			}
		}
		for method, params := range c.Auth {
			for k, p := range params {
				v["auth."+method+"."+k] = str(fmt.Sprint(p))
			}
		}
		return answer{Values: v}
	case "jobservice-config":
		var c jobserviceConfig
		if err := yaml.Unmarshal([]byte(r.Text), &c); err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Values: map[string]*string{"redis_url": str(c.PoolConfig.RedisPoolCfg.RedisURL)}}
	case "clair-config":
		// Clair v2 (Harbor 1.5): yaml.v2 into its config, database.options is a map; pgsql takes options["source"]
		var c struct {
			Clair struct {
				Database struct {
					Options map[string]interface{} `yaml:"options"`
				} `yaml:"database"`
			} `yaml:"clair"`
		}
		if err := yaml.Unmarshal([]byte(r.Text), &c); err != nil {
			return answer{Error: err.Error()}
		}
		source, ok := c.Clair.Database.Options["source"].(string)
		if !ok {
			return answer{Error: "database.options.source is not a string"}
		}
		return answer{Values: map[string]*string{"source": str(source)}}
	case "harbor1-redis-url":
		// Harbor 1.5 jobservice: url.Parse of the comma form fails, so utils.TranslateRedisAddress builds
		// redis://arbitrary_username:<password>@host:port/db from its sections without encoding (src/jobservice/utils)
		sections := strings.Split(r.Text, ",")
		u := "redis://" + sections[0]
		if _, err := url.Parse(u); err != nil {
			return answer{Error: err.Error()}
		}
		if len(sections) >= 3 && sections[2] != "" {
			u = "redis://arbitrary_username:" + sections[2] + "@" + sections[0]
		}
		if len(sections) >= 4 && sections[3] != "" {
			if _, err := strconv.Atoi(sections[3]); err == nil {
				u += "/" + sections[3]
			}
		}
		return answer{Values: map[string]*string{"url": str(u)}}
	case "url":
		u, err := url.Parse(r.Text)
		if err != nil {
			return answer{Error: err.Error()}
		}
		v := map[string]*string{"host": str(u.Host), "path": str(u.Path), "query": str(u.RawQuery)}
		if u.User != nil {
			v["username"] = str(u.User.Username())
			if p, ok := u.User.Password(); ok {
				v["password"] = str(p)
			}
		}
		return answer{Values: v}
	case "pg-dsn":
		c, err := pgconn.ParseConfig(r.Text)
		if err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Values: map[string]*string{"user": str(c.User), "password": str(c.Password), "database": str(c.Database), "host": str(c.Host)}}
	case "pq-dsn":
		// lib/pq keeps what it parsed in the connector's unexported options map
		c, err := pq.NewConnector(r.Text)
		if err != nil {
			return answer{Error: err.Error()}
		}
		v := map[string]*string{}
		opts := reflect.ValueOf(c).Elem().FieldByName("opts")
		for _, k := range opts.MapKeys() {
			v[k.String()] = str(opts.MapIndex(k).String())
		}
		return answer{Values: v}
	case "mysql-dsn":
		c, err := mysql.ParseDSN(r.Text)
		if err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Values: map[string]*string{"user": str(c.User), "password": str(c.Passwd), "database": str(c.DBName), "addr": str(c.Addr)}}
	case "dotenv":
		env, err := godotenv.Unmarshal(r.Text)
		if err != nil {
			return answer{Error: err.Error()}
		}
		v := map[string]*string{}
		for k, x := range env {
			v[k] = str(x)
		}
		return answer{Values: v}
	}
	return answer{Error: "unknown kind " + r.Kind}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			_ = out.Encode(answer{Error: err.Error()})
			continue
		}
		_ = out.Encode(handle(r))
	}
}
